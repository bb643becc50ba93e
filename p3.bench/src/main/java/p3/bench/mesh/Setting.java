package p3.bench.mesh;

import java.util.Comparator;

/** The FT strategy and the sensors' memory of a set of runs: what the report held fixed. */
record Setting(String strategy, boolean sensorMemory) {

    /** The report's: active replication, sensors that forget what they could not send. */
    static final Setting REPORT = new Setting("active", false);

    static final Comparator<Setting> ORDER = Comparator.comparing((Setting s) -> !s.equals(REPORT))
            .thenComparing(Setting::strategy).thenComparing(Setting::sensorMemory);

    static Setting of(RunResult run) {
        return new Setting(run.strategy(), run.sensorMemory());
    }

    String label() {
        return strategy + ", sensors " + (sensorMemory ? "with" : "without") + " memory";
    }

    /** For file names: {@code active-nomem}. */
    String slug() {
        return strategy.replaceAll("[^A-Za-z0-9]+", "-") + (sensorMemory ? "-mem" : "-nomem");
    }
}
