package io.rotor.config;

/** {@code client.rate_limit}: per-connection command rate limits. */
public class RateLimitOptions {

  private CommandRateLimitOptions clientCommand = new CommandRateLimitOptions();
  private CommandRateLimitOptions clientError = new CommandRateLimitOptions();

  public CommandRateLimitOptions getClientCommand() {
    return clientCommand;
  }

  public RateLimitOptions setClientCommand(CommandRateLimitOptions clientCommand) {
    this.clientCommand = clientCommand;
    return this;
  }

  /**
   * {@code client.rate_limit.client_error} (a Rotor extension): a token bucket over the error
   * replies a connection earns (non-temporary ones); empty: disconnect 3509 "too many errors".
   */
  public CommandRateLimitOptions getClientError() {
    return clientError;
  }

  public RateLimitOptions setClientError(CommandRateLimitOptions clientError) {
    this.clientError = clientError;
    return this;
  }
}
