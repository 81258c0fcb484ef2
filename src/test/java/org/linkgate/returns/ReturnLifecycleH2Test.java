package org.linkgate.returns;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link ReturnLifecycleContract} on H2 (PostgreSQL mode). */
class ReturnLifecycleH2Test extends ReturnLifecycleContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
