package dev.runnel.log.metadata;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * A separate process for {@link SqliteMetadataStoreTest}: opens the store in {@code args[0]} and
 * commits {@code args[1]} batches of two offsets to a-0 (forever if negative), printing the end
 * offset of each once its commit returned. A bounded run ends without closing the store.
 */
public final class MetadataStoreChild {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int commits = Integer.parseInt(args[1]);
        MetadataStore store = SqliteMetadataStore.open(file, Time.SYSTEM);
        TopicPartition tp = new TopicPartition("a", 0);
        long pid = ProcessHandle.current().pid();
        for (int i = 0; commits < 0 || i < commits; i++) {
            AppendResult result = store.commit("child-" + pid + "-" + i,
                    List.of(new BatchAppend(tp, 0, 10, 2, i, ProducerBatch.NONE))).get(0);
            System.out.println(result.baseOffset() + 2);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }
}
