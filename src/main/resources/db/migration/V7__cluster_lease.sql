-- Leader election among replicas sharing this database (linkgate.cluster.mode=database):
-- one row per master: namespace names the replica that consumes it. The holder renews by
-- raising generation; others take over (compare and set on generation) only after seeing it
-- stand still for a whole lease duration on their own clock. Times are informational.
create table cluster_lease (
    namespace   varchar(200) primary key,
    holder      varchar(200) not null,
    generation  bigint       not null,
    acquired_at timestamp    not null,
    renewed_at  timestamp    not null
);
