package org.acme.healthcare.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Roles;

@ApplicationScoped
public class UserService {
    private final AccountRoles roles;

    UserService(AccountRoles roles) {
        this.roles = roles;
    }

    /** Admins are locked first, so two concurrent demotions cannot leave the service without an admin. */
    @Transactional
    public User changeRole(long id, String role) {
        var admins = User.lockAdmins();
        User user = User.findById(id);
        if (user == null) {
            throw ApiException.notFound("User");
        }
        if (Roles.USER.equals(role) && Roles.ADMIN.equals(user.role) && admins.size() <= 1) {
            throw ApiException.conflict("The last admin cannot be demoted.");
        }
        user.role = role;
        user.flush();
        roles.forget(id);
        return user;
    }
}
