package org.linkgate.disclosure;

import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/** {@link FeedbackPacksContract} on H2. */
class FeedbackPacksH2Test extends FeedbackPacksContract {

    @Override
    DataSource database() {
        return TestDatabases.h2();
    }
}
