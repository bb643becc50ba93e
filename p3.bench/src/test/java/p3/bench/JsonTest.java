package p3.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedObjectsInOrderWithEscapes() {
        Map<String, Object> inner = Json.object();
        inner.put("p50Us", 42.5);
        inner.put("frames", 40000L);
        inner.put("whole", 3.0);
        Map<String, Object> root = Json.object();
        root.put("name", "a \"quoted\"\\path\n");
        root.put("inner", inner);
        root.put("list", List.of(1, "x"));
        root.put("ok", true);
        root.put("none", null);

        assertThat(Json.write(root)).isEqualTo("""
                {
                  "name": "a \\"quoted\\"\\\\path\\n",
                  "inner": {
                    "p50Us": 42.5,
                    "frames": 40000,
                    "whole": 3
                  },
                  "list": [1, "x"],
                  "ok": true,
                  "none": null
                }
                """);
    }

    @Test
    void notANumberBecomesNullAndSmallFractionsKeepSixDigits() {
        assertThat(Json.write(Map.of("x", Double.NaN))).contains("\"x\": null");
        assertThat(Json.write(Map.of("x", Double.POSITIVE_INFINITY))).contains("\"x\": null");
        assertThat(Json.write(Map.of("x", 1.0 / 3))).contains("\"x\": 0.333333");
        assertThat(Json.write(Map.of("x", 0.000125))).contains("\"x\": 0.000125");
        assertThat(Json.write(Map.of())).isEqualTo("{}\n");
    }
}
