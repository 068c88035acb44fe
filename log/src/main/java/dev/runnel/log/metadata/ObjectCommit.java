package dev.runnel.log.metadata;

import java.util.List;

/** The batches written into one object, to be committed together. */
public record ObjectCommit(String objectKey, List<BatchAppend> batches) {
    public ObjectCommit {
        if (objectKey == null || objectKey.isEmpty()) {
            throw new IllegalArgumentException("objectKey must not be empty");
        }
        batches = List.copyOf(batches);
    }
}
