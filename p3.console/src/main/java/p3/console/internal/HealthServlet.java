package p3.console.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code /health}: 200 when every peer of this runtime is bound, 503 otherwise (see {@link Health}). */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Console console;

    @Activate
    public HealthServlet(@Reference Console console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Health h = console.health();
        Responses.json(resp, h.up() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE, h.body());
    }
}
