package p3.bench.mesh;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * A results.json: the runs of one bench invocation, and where and how they were made.
 *
 * @param machine what ran them: processor, cores, memory, OS, Java
 * @param date    when the bench started, ISO-8601 with offset
 * @param command the command line that made them
 * @param shape   the tree every run formed; null in results recorded before the bench took it as options
 *                (then the report's, {@link TreeShape#report()})
 * @param traffic every class as each sensor streamed it; null as for {@code shape} (then Table I's)
 * @param runs    in the order they ran
 */
public record Results(String machine, String date, String command, @JsonSetter(nulls = Nulls.SET) TreeShape shape,
        @JsonSetter(nulls = Nulls.SET) List<Traffic> traffic, List<RunResult> runs) {

    public Results {
        Check.text("machine", machine);
        Check.text("date", date);
        Check.text("command", command);
        traffic = traffic == null ? null : List.copyOf(traffic);
        runs = List.copyOf(Check.present("runs", runs));
    }

    /** Results that do not say their shape and traffic, as before the bench took them as options. */
    public Results(String machine, String date, String command, List<RunResult> runs) {
        this(machine, date, command, null, null, runs);
    }

    /** Runs made now, on this machine, by {@code command}, on that tree with that traffic. */
    public static Results of(String command, TreeShape shape, List<Traffic> traffic, List<RunResult> runs) {
        return new Results(ThisMachine.describe(), OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                command, Check.present("shape", shape), Check.present("traffic", traffic), runs);
    }

    /** The tree the runs formed: the recorded one, else the report's. */
    TreeShape shapeOrReport() {
        return shape == null ? TreeShape.report() : shape;
    }

    /** The traffic the sensors streamed: the recorded one, else Table I's. */
    List<Traffic> trafficOrTableI() {
        return traffic == null ? BenchSettings.TABLE_I : traffic;
    }
}
