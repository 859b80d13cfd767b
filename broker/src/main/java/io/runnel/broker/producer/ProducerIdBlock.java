package io.runnel.broker.producer;

/**
 * A range of producer ids given to one broker (KIP-730): {@code [firstId, firstId + size)}. The controller
 * allocates blocks through the metadata log, so no two brokers hand out the same id.
 *
 * @param firstId first id of the block, at least 0
 * @param size    ids in the block, at least 1
 */
public record ProducerIdBlock(long firstId, int size) {
    public ProducerIdBlock {
        if (firstId < 0 || size < 1 || firstId + size < 0) {
            throw new IllegalArgumentException("invalid producer id block " + firstId + "+" + size);
        }
    }

    /** The last id of the block. */
    public long lastId() {
        return firstId + size - 1;
    }
}
