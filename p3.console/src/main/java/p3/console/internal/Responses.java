package p3.console.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;

import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.report.base.MeshJson;

/** How the console's servlets answer: JSON or text, never cached. */
final class Responses {

    private Responses() {
    }

    static void json(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        send(resp, status, "application/json; charset=utf-8", MeshJson.write(body) + "\n");
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        ObjectNode o = MeshJson.object();
        o.put("error", message);
        json(resp, status, o);
    }

    static void send(HttpServletResponse resp, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
