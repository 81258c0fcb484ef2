package org.linkgate.ops;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link StatusReporterContract} on PostgreSQL; skipped outside CI when none is running. */
class StatusReporterPostgresTest extends StatusReporterContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
