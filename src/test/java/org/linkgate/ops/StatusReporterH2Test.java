package org.linkgate.ops;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link StatusReporterContract} on H2, the embedded default. */
class StatusReporterH2Test extends StatusReporterContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
