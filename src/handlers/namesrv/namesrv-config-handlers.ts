// UPDATE_NAMESRV_CONFIG (318) and GET_NAMESRV_CONFIG (319): the settings as `key=value\n` text.
import { parseJavaProperties } from '../../common/java-properties';
import { createResponseCommand, type RemotingCommand } from '../../codec/remoting-command';
import { ResponseCode } from '../../codec/response-code';
import type { Connection } from '../../remoting/connection';
import { NamesrvConfigUpdateError } from '../../namesrv/namesrv-configuration';
import type { NamesrvProcessorContext } from './namesrv-processor-context';

export function updateConfig(
  context: NamesrvProcessorContext,
  connection: Connection,
  request: RemotingCommand,
): RemotingCommand {
  context.logger.info(`updateConfig called by ${connection.remoteAddress}`);
  if (request.body === undefined) return createResponseCommand(request, ResponseCode.SUCCESS);
  const properties = parseJavaProperties(request.body.toString('utf8'));
  const configuration = context.configuration;
  if (configuration.blackListedKeys(properties).length > 0) {
    return createResponseCommand(request, ResponseCode.NO_PERMISSION, {
      remark: 'Can not update config in black list.',
    });
  }
  try {
    configuration.update(properties);
  } catch (error) {
    if (!(error instanceof NamesrvConfigUpdateError)) throw error;
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, {
      remark: `updateConfig refused, nothing changed: ${error.message}`,
    });
  }
  return createResponseCommand(request, ResponseCode.SUCCESS);
}

export function getConfig(context: NamesrvProcessorContext, request: RemotingCommand): RemotingCommand {
  const content = context.configuration.getAllConfigsFormatString();
  const body = content.length > 0 ? Buffer.from(content, 'utf8') : undefined;
  return createResponseCommand(request, ResponseCode.SUCCESS, { body });
}
