package org.linkgate.linkage;

import org.linkgate.store.TestDatabases;

/** {@link MergeUndoTest} on PostgreSQL 15: the same SQL in production's dialect. */
class MergeUndoPostgresTest extends MergeUndoTest {

    @Override
    LinkageStoreFixture fixture() {
        return new LinkageStoreFixture(TestDatabases.postgres());
    }
}
