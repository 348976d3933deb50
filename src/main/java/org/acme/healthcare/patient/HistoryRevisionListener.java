package org.acme.healthcare.patient;

import org.acme.healthcare.user.CurrentUser;
import org.hibernate.envers.RevisionListener;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Stamps each revision with the caller's user id, from the request's verified token. Envers
 * instantiates it reflectively, hence the registration for native images.
 */
@RegisterForReflection
public class HistoryRevisionListener implements RevisionListener {

    @Override
    public void newRevision(Object revision) {
        ((HistoryRevision) revision).actorId = currentActor();
    }

    private static Long currentActor() {
        ManagedContext requestContext = Arc.container().requestContext();
        if (!requestContext.isActive()) {
            return null; // no request: a start-up or maintenance change
        }
        return Arc.container().instance(CurrentUser.class).get().idOrNull();
    }
}
