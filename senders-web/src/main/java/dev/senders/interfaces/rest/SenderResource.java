package dev.senders.interfaces.rest;

import dev.senders.application.PageOf;
import dev.senders.application.SenderQueries;
import dev.senders.domain.model.Sender;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The caller organization's senders. Another organization's id answers 404. */
@Path("senders")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SenderResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    SenderQueries queries;

    @GET
    public SenderView.Page list(@QueryParam("page") @DefaultValue("1") String page,
                                @QueryParam("size") @DefaultValue("20") String size) {
        PageOf<Sender> result = queries.list(tenant.require(), RequestValues.intParam("page", page),
                RequestValues.intParam("size", size));
        return new SenderView.Page(result.items().stream().map(SenderView::of).toList(),
                result.page(), result.size(), result.total());
    }

    @GET
    @Path("{id}")
    public SenderView get(@PathParam("id") String id) {
        return SenderView.of(queries.get(tenant.require(), RequestValues.id(id)));
    }
}
