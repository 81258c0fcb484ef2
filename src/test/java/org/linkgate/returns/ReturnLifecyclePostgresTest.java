package org.linkgate.returns;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link ReturnLifecycleContract} on PostgreSQL; skipped outside CI when none is running. */
class ReturnLifecyclePostgresTest extends ReturnLifecycleContract {

    @Override
    DataSource database() {
        return TestDatabases.postgres();
    }
}
