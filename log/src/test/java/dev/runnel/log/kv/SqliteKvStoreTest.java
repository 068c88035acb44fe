package dev.runnel.log.kv;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.io.TempDir;

/** The KvStore contract on the kv table of a SQLite metadata store. */
class SqliteKvStoreTest extends KvStoreContractTest {

    @TempDir
    Path dir;

    private final List<MetadataStore> stores = new ArrayList<>();

    @Override
    protected KvStore openKvStore() {
        MetadataStore store = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        stores.add(store);
        return store.kv();
    }

    @Override
    protected void closeStores() {
        stores.forEach(MetadataStore::close);
    }
}
