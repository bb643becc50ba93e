package p3.bench.mesh;

import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;

/**
 * A grouped bar chart as a small, hand-written SVG: one group of bars per category, one bar per
 * series, the value above each bar, categories optionally banded (e.g. by tree level) below the
 * axis. A category without values is drawn as "not run".
 */
final class BarChart {

    record Series(String name, String color) {
    }

    /** @param values one per series, or null when nothing was run for this category */
    record Category(String label, String band, double[] values) {
    }

    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 104; // title, subtitle, legend, and room for values above the tallest bar
    private static final int PLOT_HEIGHT = 220;
    private static final int BOTTOM = 64;
    private static final int BAR = 22;
    private static final int CATEGORY_GAP = 26;

    private final String title;
    private final String subtitle;
    private final String yTitle;
    private final List<Series> series;
    private final List<Category> categories;
    private final int groupWidth;
    private final double slot;
    private final int plotWidth;
    private final double[] ticks;

    BarChart(String title, String subtitle, String yTitle, List<Series> series, List<Category> categories) {
        this.title = title;
        this.subtitle = subtitle;
        this.yTitle = yTitle;
        this.series = List.copyOf(series);
        this.categories = List.copyOf(categories);
        this.groupWidth = series.size() * BAR;
        // a few categories share a plot of readable width; many make it wider
        this.slot = Math.max(groupWidth + CATEGORY_GAP, 420.0 / Math.max(1, categories.size()));
        this.plotWidth = (int) Math.ceil(slot * categories.size());
        this.ticks = ticks(values().max().orElse(0));
    }

    String svg() {
        int width = LEFT + plotWidth + RIGHT;
        Svg s = new Svg(width, TOP + PLOT_HEIGHT + BOTTOM);
        s.text(width / 2.0, 22, "middle", 15, "bold", title);
        s.text(width / 2.0, 42, "middle", 12, "normal", subtitle);
        legend(s);
        axis(s);
        // a value wider than its bar is written upwards, so that neighbours do not run together
        boolean upright = values().anyMatch(v -> Measures.number(v).length() * 5.5 > BAR - 2);
        String band = null;
        double bandStart = LEFT;
        for (int i = 0; i < categories.size(); i++) {
            Category c = categories.get(i);
            double x0 = LEFT + i * slot + (slot - groupWidth) / 2;
            bars(s, c, x0, upright);
            s.text(x0 + groupWidth / 2.0, TOP + PLOT_HEIGHT + 16, "middle", 11, "normal", c.label());
            if (c.band() != null && !c.band().equals(band)) {
                bandLabel(s, band, bandStart, LEFT + i * slot);
                band = c.band();
                bandStart = LEFT + i * slot;
            }
        }
        bandLabel(s, band, bandStart, LEFT + plotWidth);
        return s.end();
    }

    private void legend(Svg s) {
        double x = LEFT;
        for (Series ser : series) {
            s.rect(x, 56, 12, 12, ser.color());
            s.text(x + 16, 66, "start", 12, "normal", ser.name());
            x += 24 + 8 * ser.name().length();
        }
    }

    private void axis(Svg s) {
        for (double t : ticks) {
            s.line(LEFT, y(t), LEFT + plotWidth, y(t), t == 0 ? "#444" : "#ddd");
            s.text(LEFT - 6, y(t) + 4, "end", 11, "normal", Measures.number(t));
        }
        s.rotated(16, TOP + PLOT_HEIGHT / 2.0, "middle", 12, yTitle);
    }

    private void bars(Svg s, Category c, double x0, boolean upright) {
        if (c.values() == null) {
            s.text(x0 + groupWidth / 2.0, TOP + PLOT_HEIGHT - 8, "middle", 10, "italic", Measures.NOT_RUN);
            return;
        }
        for (int k = 0; k < series.size(); k++) {
            double v = c.values()[k];
            double x = x0 + k * BAR;
            s.rect(x + 1, y(v), BAR - 2, y(0) - y(v), series.get(k).color());
            if (upright) {
                s.rotated(x + BAR / 2.0 + 3, y(v) - 3, "start", 9, Measures.number(v));
            } else {
                s.text(x + BAR / 2.0, y(v) - 3, "middle", 9, "normal", Measures.number(v));
            }
        }
    }

    private static void bandLabel(Svg s, String band, double from, double to) {
        if (band != null) {
            s.line(from + 4, TOP + PLOT_HEIGHT + 26, to - 4, TOP + PLOT_HEIGHT + 26, "#888");
            s.text((from + to) / 2, TOP + PLOT_HEIGHT + 42, "middle", 12, "normal", band);
        }
    }

    private DoubleStream values() {
        return categories.stream().filter(c -> c.values() != null).flatMapToDouble(c -> DoubleStream.of(c.values()));
    }

    private double y(double value) {
        return TOP + PLOT_HEIGHT - value / ticks[ticks.length - 1] * PLOT_HEIGHT;
    }

    /** Tick values from 0 past {@code max}, on a 1-2-5 step, about five of them. */
    static double[] ticks(double max) {
        if (max <= 0) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw <= magnitude ? magnitude : raw <= 2 * magnitude ? 2 * magnitude
                : raw <= 5 * magnitude ? 5 * magnitude : 10 * magnitude;
        step = Math.max(step, 1);
        int n = (int) Math.ceil(max / step);
        double[] ticks = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    /** The few SVG elements the chart draws, with its text escaped. */
    private static final class Svg {

        private final StringBuilder out = new StringBuilder();

        Svg(int width, int height) {
            out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                    + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", width, height, width, height));
            out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        }

        void rect(double x, double y, double w, double h, String fill) {
            out.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, w, h, fill));
        }

        void line(double x1, double y1, double x2, double y2, String stroke) {
            out.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1, y1, x2, y2, stroke));
        }

        void text(double x, double y, String anchor, int size, String style, String text) {
            String weight = style.equals("bold") ? " font-weight=\"bold\"" : "";
            String italic = style.equals("italic") ? " font-style=\"italic\" fill=\"#777\"" : "";
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s%s>%s"
                    + "</text>%n", x, y, anchor, size, weight, italic, escape(text)));
        }

        /** Text read upwards from (x, y). */
        void rotated(double x, double y, String anchor, int size, String text) {
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                    + "transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n", x, y, anchor, size, x, y, escape(text)));
        }

        String end() {
            return out.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
