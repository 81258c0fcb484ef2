package org.linkgate.incident;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link IncidentsContract} on PostgreSQL (skipped outside CI when none is running). */
class IncidentsPostgresTest extends IncidentsContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
