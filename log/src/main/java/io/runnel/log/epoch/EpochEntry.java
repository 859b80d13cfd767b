package io.runnel.log.epoch;

/**
 * One leader epoch and the first offset written in it (KIP-101).
 *
 * @param epoch       the leader epoch
 * @param startOffset the first offset appended by the leader of that epoch
 */
public record EpochEntry(int epoch, long startOffset) {
}
