package io.runnel.metadata.controller;

import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import java.util.List;

/**
 * What the active controller decided for one request: the records to append (one batch, applied atomically; empty
 * when nothing changes) and the response to give once they are committed.
 */
public record ControllerResult<T>(List<MetadataRecord> records, T response) {
    public ControllerResult {
        records = List.copyOf(records);
    }

    public MetadataRecordBatch toBatch() {
        return MetadataRecordBatch.newBuilder().addAllRecords(records).build();
    }
}
