package p3.console.internal;

import java.util.concurrent.atomic.AtomicLong;

/** What the console counted since it started: actions by outcome, refusals, event streams, failed samples. */
final class ConsoleCounters {
    final AtomicLong actionsOk = new AtomicLong();
    final AtomicLong actionsFailed = new AtomicLong();
    /** Actions refused for want of the operator's token (403). */
    final AtomicLong actionsRefused = new AtomicLong();
    /** Actions whose body was not a JSON object of at most 4 KB (400). */
    final AtomicLong badRequests = new AtomicLong();
    /** Event streams turned away because the most allowed were open (503). */
    final AtomicLong streamsRefused = new AtomicLong();
    /** Event streams dropped because their client could not be written to. */
    final AtomicLong streamsDropped = new AtomicLong();
    /** Samples of the mesh that threw (logged, and the next one came all the same). */
    final AtomicLong sampleFailures = new AtomicLong();
}
