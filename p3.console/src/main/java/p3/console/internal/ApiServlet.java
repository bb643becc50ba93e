package p3.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.MeshPeer;
import p3.report.base.MeshJson;
import p3.report.base.RateLimitedLog;
import p3.report.base.TrafficBundles;

/**
 * {@code /api/}: GET {@code peers}, {@code tree}, {@code stats}, {@code failures}, {@code ft},
 * {@code classes}, {@code history}, {@code snapshot} as JSON; POST {@code action} with a JSON body
 * (see {@link Actions}) and the operator's token in the header {@value OperatorToken#HEADER}. Without
 * the token an action is refused (403), counted, logged and written to the audit log.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;
    private static final ObjectMapper READER = new ObjectMapper();
    private static final Logger LOG = System.getLogger(ApiServlet.class.getName());

    private final transient Console console;
    private final transient RateLimitedLog refusals = new RateLimitedLog(LOG, 10_000);

    @Activate
    public ApiServlet(@Reference Console console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<MeshPeer> peers = console.peers();
        JsonNode body = switch (path(req)) {
        case "peers" -> MeshJson.peers(peers);
        case "tree" -> MeshJson.tree(peers);
        case "stats" -> MeshJson.stats(peers);
        case "failures" -> MeshJson.failures(peers);
        case "ft" -> MeshJson.ft(peers, console.strategyNames());
        case "classes" -> MeshJson.classes(TrafficBundles.list(console.context()));
        case "history" -> console.history();
        case "snapshot" -> console.snapshot(peers, null);
        default -> null;
        };
        if (body == null) {
            Responses.error(resp, HttpServletResponse.SC_NOT_FOUND, "no /api/" + path(req)
                    + "; there are peers, tree, stats, failures, ft, classes, history, snapshot, and POST action");
            return;
        }
        Responses.json(resp, HttpServletResponse.SC_OK, body);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!path(req).equals("action")) {
            Responses.error(resp, HttpServletResponse.SC_NOT_FOUND, "POST /api/action only");
            return;
        }
        String who = "console " + req.getRemoteAddr() + ":" + req.getRemotePort();
        JsonNode request;
        try {
            request = read(req);
        } catch (IOException | IllegalArgumentException e) {
            long n = console.counters().badRequests.incrementAndGet();
            refusals.log(Level.WARNING, () -> "p3 console: refused an action from " + who + ", its body is not a JSON"
                    + " object (" + n + " refused so far)");
            Responses.error(resp, HttpServletResponse.SC_BAD_REQUEST, "the body is not a JSON object of at most "
                    + MAX_BODY + " bytes: " + e.getMessage());
            return;
        }
        if (!console.token().accepts(req.getHeader(OperatorToken.HEADER))) {
            console.actions().refused(who, Actions.describe(request));
            long n = console.counters().actionsRefused.get();
            refusals.log(Level.WARNING, () -> "p3 console: refused an action from " + who + " without the operator's"
                    + " token (" + n + " refused so far)");
            Responses.error(resp, HttpServletResponse.SC_FORBIDDEN, "actions need the operator's token (header "
                    + OperatorToken.HEADER + "), from " + console.token().file().toAbsolutePath());
            return;
        }
        try {
            String done = console.actions().run(who, request);
            ObjectNode o = MeshJson.object();
            o.put("ok", true);
            o.put("message", done);
            Responses.json(resp, HttpServletResponse.SC_OK, o);
        } catch (IllegalArgumentException e) {
            Responses.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            Responses.error(resp, HttpServletResponse.SC_CONFLICT, e.getMessage());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "p3 console: an action failed: {0}", e.toString());
            Responses.error(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    private static String path(HttpServletRequest req) {
        String p = req.getPathInfo();
        return p == null ? "" : p.replaceFirst("^/", "");
    }

    private static JsonNode read(HttpServletRequest req) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("too long");
        }
        JsonNode node = READER.readTree(body);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        return node;
    }
}
