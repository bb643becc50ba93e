package p3.bench.mesh;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A results.json: the runs of one bench invocation, and where and how they were made.
 *
 * @param machine what ran them: processor, cores, memory, OS, Java
 * @param date    when the bench started, ISO-8601 with offset
 * @param command the command line that made them
 * @param runs    in the order they ran
 */
public record Results(String machine, String date, String command, List<RunResult> runs) {

    public Results {
        Check.text("machine", machine);
        Check.text("date", date);
        Check.text("command", command);
        runs = List.copyOf(Check.present("runs", runs));
    }

    /** Runs made now, on this machine, by {@code command}. */
    public static Results of(String command, List<RunResult> runs) {
        return new Results(ThisMachine.describe(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                command, runs);
    }
}
