package p3.console.internal;

import java.io.IOException;

import javax.servlet.AsyncContext;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /events}: the mesh live, as server-sent events. First {@code history} (the last minutes of
 * each class), then a {@code snapshot} of everything at every sample.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/events")
@HttpWhiteboardServletAsyncSupported
public final class EventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Console console;

    @Activate
    public EventsServlet(@Reference Console console) {
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.isAsyncSupported()) {
            Responses.error(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "the container gave no async support");
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/event-stream; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        AsyncContext stream = req.startAsync();
        stream.setTimeout(0);
        if (!console.streams().add(stream, console.firstEvents())) {
            resp.reset();
            Responses.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many pages follow this runtime");
            stream.complete();
        }
    }
}
