package io.github.jamesmtasts.mtasts.discover;

import java.util.Map;
import java.util.Objects;

/** A valid {@code _mta-sts} TXT record (RFC 8461 3.1): its {@code id} and any extension fields, in order. */
public final class StsRecord {

    private final String id;
    private final Map<String, String> extensions;

    private StsRecord(String id, Map<String, String> extensions) {
        this.id = Objects.requireNonNull(id);
        this.extensions = Map.copyOf(extensions);
    }

    public static StsRecord of(String id, Map<String, String> extensions) {
        return new StsRecord(id, extensions);
    }

    public String id() {
        return id;
    }

    public Map<String, String> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsRecord)) {
            return false;
        }
        StsRecord that = (StsRecord) o;
        return id.equals(that.id) && extensions.equals(that.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, extensions);
    }

    @Override
    public String toString() {
        return "StsRecord{id=" + id + (extensions.isEmpty() ? "" : ", " + extensions) + "}";
    }
}
