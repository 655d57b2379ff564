package io.github.jamesmtasts.mtasts.discover;

import java.util.Objects;

/**
 * A valid {@code _mta-sts} TXT record (RFC 8461 3.1): its {@code id}. Extension fields are checked by the parser
 * but not kept: they carry no meaning for senders.
 */
public final class StsRecord {

    private final String id;

    private StsRecord(String id) {
        this.id = Objects.requireNonNull(id);
    }

    public static StsRecord of(String id) {
        return new StsRecord(id);
    }

    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StsRecord && id.equals(((StsRecord) o).id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "StsRecord{id=" + id + "}";
    }
}
