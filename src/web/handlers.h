/*
 * handlers.h - every route handler, as listed in routes.c.
 * Each answers through the helpers in req.h exactly once.
 */
#ifndef BEACON_WEB_HANDLERS_H
#define BEACON_WEB_HANDLERS_H

#include "web/req.h"

/* pages/home.c */
void page_home(struct rctx *ctx);
/* pages/help.c */
void page_help(struct rctx *ctx);
/* pages/search.c: full page, or the results fragment for HTMX */
void page_search(struct rctx *ctx);
/* pages/job.c */
void page_job(struct rctx *ctx);
/* api/jobs.c */
void api_jobs_search(struct rctx *ctx);
void api_job_get(struct rctx *ctx);
/* feeds.c */
void feed_rss(struct rctx *ctx);
void feed_indeed(struct rctx *ctx);
/* ops.c */
void ops_healthz(struct rctx *ctx);
void ops_readyz(struct rctx *ctx);
/* static.c wrappers */
void static_assets(struct rctx *ctx);
void static_vendor(struct rctx *ctx);

/* pages/auth.c: sign-up, sign-in, sign-out, email verification, password reset */
void page_signup(struct rctx *ctx);
void page_signin(struct rctx *ctx);
void page_signin_2fa(struct rctx *ctx);
void page_signout(struct rctx *ctx);
void page_verify_email(struct rctx *ctx);
void page_password_forgot(struct rctx *ctx);
void page_password_reset(struct rctx *ctx);
/* pages/account.c */
void page_account(struct rctx *ctx);
void page_account_confirm(struct rctx *ctx);
void page_account_password(struct rctx *ctx);
void page_account_email(struct rctx *ctx);
void page_account_resend(struct rctx *ctx);
void page_account_signout_all(struct rctx *ctx);
/* pages/twofactor.c */
void page_2fa(struct rctx *ctx);
void page_2fa_enable(struct rctx *ctx);
void page_2fa_recovery(struct rctx *ctx);
void page_2fa_disable(struct rctx *ctx);
/* api/auth.c */
void api_auth_register(struct rctx *ctx);
void api_auth_token(struct rctx *ctx);
void api_auth_refresh(struct rctx *ctx);
void api_auth_logout(struct rctx *ctx);
void api_auth_forgot(struct rctx *ctx);
void api_auth_reset(struct rctx *ctx);
void api_me(struct rctx *ctx);
/* pages/admin.c: the user list, one user, its role and status forms, the audit log */
void page_admin(struct rctx *ctx);
void page_admin_users(struct rctx *ctx);
void page_admin_user(struct rctx *ctx);
void page_admin_user_role(struct rctx *ctx);   /* POST; GET goes back to the user */
void page_admin_user_status(struct rctx *ctx); /* POST status=active|disabled */
void page_admin_audit(struct rctx *ctx);
/* api/admin.c */
void api_admin_users(struct rctx *ctx);
void api_admin_user(struct rctx *ctx); /* GET, PATCH */
void api_admin_audit(struct rctx *ctx);
/* pages/company.c: the company (GET/POST), invitations, accepting one */
void page_company(struct rctx *ctx);
void page_company_invite(struct rctx *ctx);
void page_invite_accept(struct rctx *ctx);
/* pages/employer_jobs.c: the company's jobs, posting, editing, closing, reopening */
void page_employer_jobs(struct rctx *ctx);
void page_employer_job_new(struct rctx *ctx);
void page_employer_job_edit(struct rctx *ctx);
void page_employer_job_close(struct rctx *ctx);
void page_employer_job_reopen(struct rctx *ctx);
/* api/employer.c */
void api_company_get(struct rctx *ctx);
void api_company_put(struct rctx *ctx);
void api_company_invite(struct rctx *ctx);
void api_employer_jobs(struct rctx *ctx);
void api_job_create(struct rctx *ctx);
void api_job_patch(struct rctx *ctx);
void api_job_close(struct rctx *ctx);
void api_job_reopen(struct rctx *ctx);
/* pages/profile.c: the seeker's profile, its editing, candidate search for employers */
void page_profile(struct rctx *ctx);
void page_profile_edit(struct rctx *ctx);       /* GET form, POST save */
void page_profile_experience(struct rctx *ctx); /* GET entries, POST save/delete/add one */
void page_profile_education(struct rctx *ctx);  /* GET entries, POST save/delete/add one */
void page_profile_import(struct rctx *ctx);     /* POST a pasted JSON Resume document */
void page_candidates(struct rctx *ctx);
void page_candidate(struct rctx *ctx);
/* api/profile.c */
void api_profile_get(struct rctx *ctx);
void api_profile_put(struct rctx *ctx);
void api_profile_resume_get(struct rctx *ctx);  /* also /profile/resume.json for pages */
void api_profile_resume_post(struct rctx *ctx);
void api_candidates(struct rctx *ctx);
void api_candidate_get(struct rctx *ctx);
/* pages/documents.c: the visitor's documents, upload, download, delete */
void page_documents(struct rctx *ctx);        /* GET list + form, POST multipart upload */
void page_document(struct rctx *ctx);         /* GET download */
void page_document_delete(struct rctx *ctx);  /* POST */
/* api/documents.c */
void api_documents(struct rctx *ctx);         /* GET list, POST multipart upload */
void api_document(struct rctx *ctx);          /* GET download, DELETE */
void api_document_text(struct rctx *ctx);     /* GET the extracted text */

/* pages/notifications.c: the list, opening one, mark all read, email settings */
void page_notifications(struct rctx *ctx);
void page_notification_open(struct rctx *ctx);      /* GET: marks read, 303 to its link */
void page_notifications_read_all(struct rctx *ctx); /* POST */
void page_notification_prefs(struct rctx *ctx);     /* GET form, POST email choice per kind */
/* api/notifications.c */
void api_notifications(struct rctx *ctx);      /* GET list (cursor "before") */
void api_notifications_read(struct rctx *ctx); /* POST {"ids": [...]} or {"all": true} */
void api_notification_prefs(struct rctx *ctx); /* GET, PATCH {"email": {"<kind>": "<choice>"}} */
/* pages/saved_searches.c: save, list, change, delete, new RSS link, the private feed */
void page_saved_search_new(struct rctx *ctx);      /* GET ?<search filters>: name it */
void page_saved_searches(struct rctx *ctx);        /* GET list, POST create */
void page_saved_search_update(struct rctx *ctx);   /* POST name, frequency */
void page_saved_search_delete(struct rctx *ctx);   /* POST */
void page_saved_search_rss_token(struct rctx *ctx); /* POST: a new RSS link */
void feed_saved_search(struct rctx *ctx);          /* GET ?token=: no sign-in, wrong token 404 */
/* api/saved_searches.c */
void api_saved_searches(struct rctx *ctx); /* GET list, POST create */
void api_saved_search(struct rctx *ctx);   /* GET, PATCH, DELETE */
/* pages/unsubscribe.c: GET confirm, POST apply (ROUTE_NO_CSRF: the HMAC token decides) */
void page_unsubscribe(struct rctx *ctx);
/* pages/applications.c: applying, my applications, one application, withdraw, messages, interviews */
void page_job_apply(struct rctx *ctx); /* GET form, POST apply */
void page_applications(struct rctx *ctx);
void page_application(struct rctx *ctx);
void page_application_withdraw(struct rctx *ctx); /* GET asks, POST withdraws */
void page_application_message(struct rctx *ctx);  /* POST, both sides */
void page_interview_choose(struct rctx *ctx);     /* POST slot_id=<id>|none */
void page_interview_ics(struct rctx *ctx);        /* GET /interviews/{id}.ics, both sides */
/* pages/employer_applicants.c: the pipeline board, bulk reject, one application */
void page_employer_applicants(struct rctx *ctx);
void page_employer_reject(struct rctx *ctx); /* POST */
void page_employer_application(struct rctx *ctx);
void page_employer_application_stage(struct rctx *ctx);   /* POST */
void page_employer_application_note(struct rctx *ctx);    /* POST */
void page_employer_application_propose(struct rctx *ctx); /* POST */
/* api/applications.c */
void api_application_create(struct rctx *ctx);
void api_applications_mine(struct rctx *ctx);
void api_application_get(struct rctx *ctx);
void api_application_withdraw(struct rctx *ctx);
void api_application_stage(struct rctx *ctx);
void api_application_note(struct rctx *ctx);
void api_application_messages(struct rctx *ctx); /* GET (marks read), POST */
void api_application_interview(struct rctx *ctx);
void api_interview_choose(struct rctx *ctx);
void api_employer_job_applications(struct rctx *ctx);

/* pages/admin.c, api/admin.c: the background queue */
void page_admin_queue(struct rctx *ctx);
void api_admin_queue(struct rctx *ctx);

#endif
