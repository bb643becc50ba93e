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

/** {@code /metrics}: the Prometheus text format (see {@link Metrics} for every figure). */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Console console;

    @Activate
    public MetricsServlet(@Reference Console console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Responses.send(resp, HttpServletResponse.SC_OK, PromText.CONTENT_TYPE, console.metrics());
    }
}
