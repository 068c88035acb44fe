package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantState;
import dev.runnel.log.objectstore.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingester's head snapshots in the object store (SNAPSHOT.md). Key layout, one folder per
 * zone's ingester of a partition:
 * <pre>
 * snapshots/&lt;topic&gt;/&lt;partition&gt;/&lt;zone&gt;/&lt;offset, 20 digits&gt;-&lt;created ms, 13 digits&gt;/part-00000 ...
 * snapshots/&lt;topic&gt;/&lt;partition&gt;/&lt;zone&gt;/&lt;offset, 20 digits&gt;-&lt;created ms, 13 digits&gt;/manifest
 * </pre>
 * Names sort by offset, so a listing is oldest first. The manifest is written after every part
 * is stored and deleted before them: a snapshot without one is unfinished (a crash while writing
 * or deleting) and is never loaded.
 */
public final class SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

    /** Default size of a part: big enough for few requests, small enough to hold two while writing. */
    public static final int DEFAULT_PART_BYTES = 64 << 20;
    static final String MANIFEST = "manifest";
    private static final long TIMEOUT_SECONDS = 300;

    private final ObjectStore objects;
    private final String prefix;
    private final int partBytes;

    /**
     * @param zone      the ingester's zone: each zone's ingester of a partition keeps its own snapshots
     * @param partBytes the most bytes in one part object
     */
    public SnapshotStore(ObjectStore objects, String topic, int partition, String zone, int partBytes) {
        if (topic.isEmpty() || zone.isEmpty() || topic.contains("/") || zone.contains("/") || partition < 0) {
            throw new IllegalArgumentException("topic and zone must be non-empty without '/', partition not negative: topic \""
                    + topic + "\", partition " + partition + ", zone \"" + zone + "\"");
        }
        this.objects = objects;
        this.prefix = "snapshots/" + topic + "/" + partition + "/" + zone + "/";
        this.partBytes = partBytes;
    }

    /** The folder of this ingester's snapshots, ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** What {@link #write} stored. */
    public record Written(String name, long offset, long bytes, int parts, long tenants, long series) {
    }

    /**
     * Writes captured heads that hold every record before {@code offset} and none after, and
     * returns once the snapshot is durable (its manifest stored). Blocks; call off the appender thread.
     */
    public Written write(List<TenantState> heads, long offset, long createdMs) throws IOException {
        String name = String.format(Locale.ROOT, "%020d-%013d", offset, createdMs);
        PartOutput out = new PartOutput(partBytes, (index, part) -> objects.put(partKey(name, index), part));
        HeadEncoder encoder = new HeadEncoder(out);
        encoder.write(heads);
        long bytes = out.size();
        List<Manifest.Part> parts = out.finish();
        Manifest manifest = new Manifest(offset, createdMs, encoder.tenants(), encoder.series(), bytes, parts);
        await(objects.put(key(name + "/" + MANIFEST), manifest.encode()), "storing snapshot manifest " + name);
        return new Written(name, offset, bytes, parts.size(), encoder.tenants(), encoder.series());
    }

    /** A snapshot restored into new heads. */
    public record Loaded(Heads heads, String name, long offset, long createdMs, long bytes, long tenants, long series) {
    }

    /**
     * Restores the newest snapshot that reads back whole into new heads; a corrupt or unreadable
     * one is logged and the one before it tried. Empty if there is none (or the store cannot be listed).
     */
    public Optional<Loaded> loadNewest(HeadConfig config) {
        List<String> complete;
        try {
            complete = completeSnapshots();
        } catch (IOException e) {
            log.warn("cannot list the snapshots under {}, starting without one: {}", prefix, e.getMessage());
            return Optional.empty();
        }
        for (int i = complete.size() - 1; i >= 0; i--) {
            String name = complete.get(i);
            try {
                return Optional.of(load(name, config));
            } catch (IOException | RuntimeException e) {
                log.warn("snapshot {}{} is unreadable, trying the one before it: {}", prefix, name, e.toString());
            }
        }
        return Optional.empty();
    }

    private Loaded load(String name, HeadConfig config) throws IOException {
        Manifest manifest = Manifest.decode(await(objects.get(key(name + "/" + MANIFEST)), "reading snapshot manifest " + name));
        PartInput in = new PartInput(manifest.parts(), index -> objects.get(partKey(name, index)));
        Heads heads = new Heads(config);
        HeadDecoder decoder = new HeadDecoder(in);
        decoder.read(heads);
        if (decoder.tenants() != manifest.tenants() || decoder.series() != manifest.series()) {
            throw new IOException("snapshot holds " + decoder.tenants() + " tenants and " + decoder.series()
                    + " series, its manifest says " + manifest.tenants() + " and " + manifest.series());
        }
        return new Loaded(heads, name, manifest.offset(), manifest.createdMs(), manifest.bytes(), decoder.tenants(), decoder.series());
    }

    /**
     * Deletes the complete snapshots but the newest {@code keep}, and the unfinished ones older than
     * the newest complete one (left by a crash while writing or deleting), manifest first. Newer
     * unfinished ones are left: they may be being written. Returns the number of snapshots deleted.
     */
    public int deleteOld(int keep) throws IOException {
        Map<String, List<String>> byName = listByName();
        List<String> complete = complete(byName);
        if (complete.isEmpty()) {
            return 0;
        }
        List<String> kept = complete.subList(Math.max(0, complete.size() - keep), complete.size());
        String newest = complete.get(complete.size() - 1);
        int deleted = 0;
        for (Map.Entry<String, List<String>> e : byName.entrySet()) {
            if (e.getKey().compareTo(newest) >= 0) {
                break;
            }
            if (kept.contains(e.getKey())) {
                continue;
            }
            List<String> keys = new ArrayList<>(e.getValue());
            // The manifest first: a crash half way leaves an unfinished snapshot, never a complete one with parts missing.
            keys.sort((a, b) -> Boolean.compare(!a.endsWith("/" + MANIFEST), !b.endsWith("/" + MANIFEST)));
            for (String key : keys) {
                await(objects.delete(key), "deleting " + key);
            }
            deleted++;
        }
        return deleted;
    }

    /** Names of the snapshots with a manifest, oldest first. */
    List<String> completeSnapshots() throws IOException {
        return complete(listByName());
    }

    private static List<String> complete(Map<String, List<String>> byName) {
        List<String> names = new ArrayList<>();
        byName.forEach((name, keys) -> {
            if (keys.stream().anyMatch(k -> k.endsWith("/" + MANIFEST))) {
                names.add(name);
            }
        });
        return names;
    }

    /** Every key under the prefix by snapshot name, names sorted. */
    private Map<String, List<String>> listByName() throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (String key : await(objects.list(prefix), "listing " + prefix)) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byName.computeIfAbsent(rest.substring(0, slash), n -> new ArrayList<>()).add(key);
            }
        }
        return byName;
    }

    private String key(String relative) {
        return prefix + relative;
    }

    private String partKey(String name, int index) {
        return key(name + "/" + String.format(Locale.ROOT, "part-%05d", index));
    }

    /** Waits for an object store call, bounded; its failure becomes an {@link IOException} saying {@code what} failed. */
    static <T> T await(CompletableFuture<T> future, String what) throws IOException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " took over " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
    }
}
