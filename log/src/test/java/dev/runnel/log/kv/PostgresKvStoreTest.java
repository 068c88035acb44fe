package dev.runnel.log.kv;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.PostgresMetadataStore;
import dev.runnel.log.metadata.PostgresTestServer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Time;

/** The KvStore contract on the kv table of a PostgreSQL metadata store, a new schema per test. */
class PostgresKvStoreTest extends KvStoreContractTest {

    private String url;
    private final List<MetadataStore> stores = new ArrayList<>();

    @Override
    protected KvStore openKvStore() {
        if (url == null) {
            url = PostgresTestServer.newSchema();
        }
        MetadataStore store = PostgresMetadataStore.open(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD,
                Time.SYSTEM);
        stores.add(store);
        return store.kv();
    }

    @Override
    protected void closeStores() {
        stores.forEach(MetadataStore::close);
    }
}
