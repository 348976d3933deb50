package org.acme.healthcare.organization;

import org.acme.healthcare.common.ApiException;

/**
 * Who may use an organization's routes, read from the memberships table on every call (never
 * cached). A non-member gets exactly the 404 of an unknown organization, platform admins included:
 * an organization's existence is its members' business. A member whose role is not enough gets 403.
 */
public final class OrganizationAccess {
    private OrganizationAccess() {
    }

    /** The caller's role in the organization; 404 unless a member. */
    public static OrgRole member(long organizationId, long userId) {
        return Membership.roleOf(organizationId, userId).orElseThrow(OrganizationAccess::notFound);
    }

    /** As {@link #member}, and 403 unless the caller is one of its admins. */
    public static OrgRole admin(long organizationId, long userId) {
        OrgRole role = member(organizationId, userId);
        if (role != OrgRole.ADMIN) {
            throw ApiException.forbidden("Only an admin of the organization may do this.");
        }
        return role;
    }

    /** The one answer for an unknown organization and for one the caller does not belong to. */
    public static ApiException notFound() {
        return ApiException.notFound("Organization");
    }
}
