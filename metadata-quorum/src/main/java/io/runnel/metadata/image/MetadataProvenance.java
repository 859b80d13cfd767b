package io.runnel.metadata.image;

/**
 * Where an image comes from: the Ratis log entry (term, index) of the last batch it reflects. KRaft calls this the
 * image's provenance (last contained offset and epoch). {@link #EMPTY} (0, -1) is "before any entry"; Ratis indexes
 * start at 0.
 */
public record MetadataProvenance(long term, long index) implements Comparable<MetadataProvenance> {
    public static final MetadataProvenance EMPTY = new MetadataProvenance(0, -1);

    @Override
    public int compareTo(MetadataProvenance o) {
        int c = Long.compare(index, o.index);
        return c != 0 ? c : Long.compare(term, o.term);
    }

    @Override
    public String toString() {
        return "(t:" + term + ", i:" + index + ")";
    }
}
