package p3.bench.mesh;

import java.io.IOException;

/** A results file that is not JSON, or not the schema of {@link Results}; the message names the field. */
public final class MalformedResultsException extends IOException {

    private static final long serialVersionUID = 1L;

    MalformedResultsException(String message, Throwable cause) {
        super(message, cause);
    }
}
