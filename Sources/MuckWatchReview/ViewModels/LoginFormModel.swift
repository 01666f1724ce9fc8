/// What the login form shows (template `login`): the form's own CSRF token (echoed by a cookie), where
/// to go after logging in, the name typed so far and why the last attempt failed.
struct LoginFormModel {
    var csrf: String
    var next: String
    var user: String
    var message: String?
}
