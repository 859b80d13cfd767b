package io.runnel.log;

import io.runnel.log.record.RecordBatchHeader;

/**
 * Where a batch starts in a segment file, with its header.
 *
 * @param position byte position of the batch in the segment file
 * @param header   the batch's header as read from the file
 */
record BatchPosition(int position, RecordBatchHeader header) {
}
