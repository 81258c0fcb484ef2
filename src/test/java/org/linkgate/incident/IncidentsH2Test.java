package org.linkgate.incident;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link IncidentsContract} on H2, the zero-set-up database. */
class IncidentsH2Test extends IncidentsContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
