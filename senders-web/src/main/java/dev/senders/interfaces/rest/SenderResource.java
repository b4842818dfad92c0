package dev.senders.interfaces.rest;

import dev.senders.application.PageOf;
import dev.senders.application.SenderOnboarding;
import dev.senders.application.SenderQueries;
import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.Sender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Set;

/** The caller organization's senders. Another organization's id answers 404. */
@Path("senders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SenderResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    SenderQueries queries;

    @Inject
    SenderOnboarding onboarding;

    /** A sender with the DNS records its domain needs. */
    public record Details(SenderView sender, List<DnsRecord> dnsRecords) {
    }

    @GET
    public SenderView.Page list(@QueryParam("page") @DefaultValue("1") String page,
                                @QueryParam("size") @DefaultValue("20") String size) {
        PageOf<Sender> result = queries.list(tenant.require(), RequestValues.intParam("page", page),
                RequestValues.intParam("size", size));
        return new SenderView.Page(result.items().stream().map(SenderView::of).toList(),
                result.page(), result.size(), result.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(String body, @jakarta.ws.rs.core.Context UriInfo uri) {
        var caller = tenant.require();
        String emailAddress = JsonBodies.requiredString(JsonBodies.object(body, Set.of("emailAddress")),
                "emailAddress");
        Sender sender = onboarding.add(caller, emailAddress).sender();
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(sender.getId())).build())
                .entity(details(sender))
                .build();
    }

    @GET
    @Path("{id}")
    public Details get(@PathParam("id") String id) {
        return details(queries.get(tenant.require(), RequestValues.id(id)));
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id) {
        onboarding.remove(tenant.require(), RequestValues.id(id));
        return Response.noContent().build();
    }

    private Details details(Sender sender) {
        return new Details(SenderView.of(sender), queries.dnsRecords(sender));
    }
}
