package io.runnel.cli;

/**
 * A failure whose message is meant for the user as-is (e.g. "no such file: x.log"). {@link ErrorHandlers} prints it
 * as one line {@code runnel: <message>} and exits with {@value ErrorHandlers#EXIT_FAILURE}.
 */
public final class CliException extends RuntimeException {

    /** @param message one line saying what is wrong, without a {@code runnel:} prefix */
    public CliException(String message) {
        super(message);
    }

    /**
     * @param message one line saying what is wrong, without a {@code runnel:} prefix
     * @param cause the underlying failure, shown with {@code --verbose}
     */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
