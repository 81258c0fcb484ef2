package org.linkgate.returns;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link ReturnFileProcessorContract} on H2 (PostgreSQL mode). */
class ReturnFileProcessorH2Test extends ReturnFileProcessorContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
