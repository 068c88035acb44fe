package dev.runnel.log.objectstore;

/** The object store has no object under the key asked for. */
public final class ObjectNotFoundException extends RuntimeException {
    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}
