package dev.senders.host.security;

import dev.senders.api.tenancy.TenantResolver;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Who is signed in, for the host's page header. */
@WebServlet("/host-api/me")
public class MeServlet extends HttpServlet {

    @Inject
    TenantResolver tenants;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var tenant = tenants.currentTenant().orElse(null);
        if (tenant == null) {
            resp.sendError(401);
            return;
        }
        resp.setContentType("application/json");
        resp.getWriter().write(Json.createObjectBuilder()
                .add("user", tenant.userName())
                .add("organizationId", tenant.organizationId())
                .add("platformAdmin", tenant.platformAdmin())
                .build().toString());
    }
}
