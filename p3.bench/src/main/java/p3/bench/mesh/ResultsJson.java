package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** results.json to {@link Results} and back. */
public final class ResultsJson {

    /*
     * Strict on reading: a field that is absent or null fails (unless its component says
     * Nulls.SET), and so does one we do not know, so that a typo in a hand-edited file is not
     * read as a run that lost nothing.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultsJson() {
    }

    public static String write(Results results) {
        try {
            return MAPPER.writeValueAsString(results) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results that do not map to JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static void write(Results results, Path file) throws IOException {
        Files.writeString(file, write(results), StandardCharsets.UTF_8);
    }

    /** @throws MalformedResultsException naming the file, the field's path and what is wrong with it */
    public static Results read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** @param source names the text in messages, e.g. its file */
    public static Results parse(String json, String source) throws MalformedResultsException {
        try {
            return MAPPER.readValue(json, Results.class);
        } catch (JsonProcessingException e) {
            throw new MalformedResultsException(source + ": " + where(e) + problem(e), e);
        }
    }

    /** The field's path where Jackson knows it, and the line, for a file edited by hand. */
    private static String where(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        JsonLocation at = e.getLocation();
        String line = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr();
        if (path.isEmpty() && line.isEmpty()) {
            return "";
        }
        return path.isEmpty() ? line + ": " : line.isEmpty() ? path + ": " : path + " (" + line + "): ";
    }

    /** {@code runs[2].classes.video.lost}, from Jackson's chain of references. */
    static String path(List<Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (Reference r : refs) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String problem(JsonProcessingException e) {
        if (e instanceof InvalidNullException) {
            return "missing or null";
        }
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        // the parser quotes its input's location again, in a form meant for logs: the line says it
        return e.getOriginalMessage().replaceFirst("\\s*\\([^()]*\\[Source:.*$", "");
    }
}
