// AclException: what a failed check throws. The remoting layer answers it as Java's
// NettyRemotingAbstract does for an exception escaping an rpc hook: SYSTEM_ERROR with
// RemotingHelper.exceptionSimpleDesc(e) as remark — "<class>: <message>, <first stack frame>".
// `frame` is the Java frame that threw (class, method, file line of 4.7.1), so the remark a 4.7.1
// client shows is the one the Java broker sends.

export const ACL_EXCEPTION_CLASS = 'org.apache.rocketmq.acl.common.AclException';

/** Java 4.7.1 frames (PlainPermissionManager.java / PlainAccessValidator.java line numbers). */
export const AclFrame = {
  validateNoAccessKey: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:394)',
  validateUnknownKey: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:398)',
  validateSignature: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:410)',
  checkPermAdmin: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.checkPerm(PlainPermissionManager.java:316)',
  checkPermDefault: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.checkPerm(PlainPermissionManager.java:341)',
  checkPermResource: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.checkPerm(PlainPermissionManager.java:346)',
  parse: 'org.apache.rocketmq.acl.plain.PlainAccessValidator.parse(PlainAccessValidator.java:123)',
  load: 'org.apache.rocketmq.acl.plain.PlainPermissionManager.load(PlainPermissionManager.java:76)',
  config:
    'org.apache.rocketmq.acl.plain.PlainPermissionManager.buildPlainAccessResource(PlainPermissionManager.java:361)',
} as const;

export class AclException extends Error {
  constructor(
    message: string,
    readonly frame: string = AclFrame.config,
  ) {
    super(message);
    this.name = 'AclException';
  }

  /** RemotingHelper.exceptionSimpleDesc: the remark of the SYSTEM_ERROR answer. */
  get remark(): string {
    return `${ACL_EXCEPTION_CLASS}: ${this.message}, ${this.frame}`;
  }
}
