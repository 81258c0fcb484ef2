package org.linkgate.returns;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link ReturnFileProcessorContract} on PostgreSQL; skipped outside CI when none is running. */
class ReturnFileProcessorPostgresTest extends ReturnFileProcessorContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
