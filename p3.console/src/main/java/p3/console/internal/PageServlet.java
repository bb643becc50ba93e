package p3.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The console's one page and what it needs, served from this bundle (no internet at run time):
 * {@code /} is the page, {@code /console.js} and {@code /console.css} its script and style.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/", "/console.js", "/console.css" })
public final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] { "web/index.html", "text/html; charset=utf-8" },
            "/index.html", new String[] { "web/index.html", "text/html; charset=utf-8" },
            "/console.js", new String[] { "web/console.js", "text/javascript; charset=utf-8" },
            "/console.css", new String[] { "web/console.css", "text/css; charset=utf-8" });

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String[] file = FILES.get(path.isEmpty() ? "/" : path);
        if (file == null) {
            Responses.error(resp, HttpServletResponse.SC_NOT_FOUND, "nothing at " + path
                    + "; the console is at /, the figures at /metrics, /health and /api/");
            return;
        }
        byte[] body;
        try (InputStream in = PageServlet.class.getClassLoader().getResourceAsStream(file[0])) {
            if (in == null) {
                Responses.error(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, file[0] + " is not in the bundle");
                return;
            }
            body = in.readAllBytes();
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(file[1]);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
