/*
 * worker.h - background work inside each Kore worker: a timer that claims
 * due tasks from the queue (model/tasks.h) and runs their handlers.
 */
#ifndef BEACON_WEB_WORKER_H
#define BEACON_WEB_WORKER_H

/*
 * Start this worker's task timer (first run one second from now). Call from
 * kore_worker_configure, after the handlers were registered in the parent.
 */
void worker_tasks_start(void);

#endif
