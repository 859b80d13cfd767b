package io.runnel.log;

/** Names of the files a partition log keeps in its directory beside its segments. */
final class LogFiles {
    /** Present only between a clean close and the next open. */
    static final String CLEAN_SHUTDOWN = ".runnel-clean-shutdown";
    /** Kafka's name: the leader-epoch history (epoch, start offset). */
    static final String LEADER_EPOCH = "leader-epoch-checkpoint";
    static final String LOG_START_OFFSET = "log-start-offset-checkpoint";
    static final String HIGH_WATERMARK = "high-watermark-checkpoint";
    /** Everything below this offset is known to be on disk (fsynced). */
    static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    /** Suffix of segment files awaiting deletion after {@code file.delete.delay.ms}. */
    static final String DELETED_SUFFIX = ".deleted";
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Kafka's aborted-transaction index of a segment ({@link io.runnel.log.index.TransactionIndex}). */
    static final String TXN_INDEX_SUFFIX = ".txnindex";
    /** The log cleaner's first dirty offset: everything below it has been cleaned (Kafka keeps one per log dir). */
    static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
    /** Subdirectory a cleaning writes its new segments into before they are swapped in ({@link CleanerSwap}). */
    static final String CLEANING_DIR = "cleaning";
    /** Present while a cleaning's swap is committed but not finished: new base offset and the replaced bases. */
    static final String SWAP_MANIFEST = "cleaner-swap";

    private LogFiles() {
    }
}
