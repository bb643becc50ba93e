package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class BarChartTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void drawsABarPerSeriesAndCategoryAndNotRunForMissingOnes() throws Exception {
        String svg = new BarChart("Lost <&> \"quoted\"", "setting", "lost", LossFigures.SERIES, List.of(
                new BarChart.Category("level 0", null, new double[] {60, 90, 30}),
                new BarChart.Category("level 1", null, null),
                new BarChart.Category("level 2", null, new double[] {0, 1.5, 0}))).svg();

        Document doc = parse(svg);

        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        // background, 3 legend keys, 6 bars
        assertThat(doc.getElementsByTagNameNS("*", "rect").getLength()).isEqualTo(1 + 3 + 6);
        assertThat(svg).contains(">not run<", ">1.5<", ">90<", "Lost &lt;&amp;&gt; &quot;quoted&quot;");
    }

    @Test
    void ticksStepOneTwoOrFiveAndReachTheLargestValue() {
        assertThat(BarChart.ticks(0)).containsExactly(0, 1);
        assertThat(BarChart.ticks(3)).containsExactly(0, 1, 2, 3);
        assertThat(BarChart.ticks(90)).containsExactly(0, 20, 40, 60, 80, 100);
        assertThat(BarChart.ticks(1234)).containsExactly(0, 500, 1000, 1500);
    }

    @Test
    void everyFigureOfAReportIsWellFormedSvg(@TempDir Path dir) throws Exception {
        Results results = ResultsJson.read(Path.of(getClass().getResource("results.json").toURI()));

        List<Path> written = ReportWriter.write(results, "results.json", dir);

        assertThat(written).hasSizeGreaterThan(1);
        for (Path svg : written.subList(1, written.size())) {
            Document doc = parse(Files.readString(svg));
            assertThat(doc.getDocumentElement().getLocalName()).as(svg.toString()).isEqualTo("svg");
            assertThat(doc.getElementsByTagNameNS("*", "rect").getLength()).as(svg.toString()).isGreaterThan(4);
        }
    }
}
