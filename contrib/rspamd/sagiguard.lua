--[[
sagiguard for rspamd: posts each message to `sagiguard serve` (POST /score) with rspamd's
asynchronous HTTP client and adds one of SAGIGUARD_SCAM, SAGIGUARD_UNSURE, SAGIGUARD_HAM.
The symbol's dynamic score factor is the scam probability (for HAM, one minus it), so its
weight in groups.conf / scores is reached only by a certain verdict; its options are the
strongest signals sagiguard found (deadline, credential_request, sender_domain_mismatch, …).

Install (the README, "rspamd, from zero"): this file as /etc/rspamd/plugins.d/sagiguard.lua,
sagiguard.conf beside it as /etc/rspamd/local.d/sagiguard.conf, and a `sagiguard { }` section
in /etc/rspamd/rspamd.conf.local that includes it: rspamd loads a plugin in plugins.d when its
section exists.
--]]

local rspamd_http = require "rspamd_http"
local rspamd_logger = require "rspamd_logger"
local ucl = require "ucl"

local N = 'sagiguard'

local settings = {
  url = 'http://127.0.0.1:11380/score',
  timeout = 5.0,
  -- Signals given as symbol options, at most.
  max_options = 4,
  -- Messages larger than this are not sent (sagiguard serve refuses past its --max-body).
  max_size = 25 * 1024 * 1024,
  scam_score = 8.0,
  unsure_score = 2.0,
  ham_score = -1.0,
}

local opts = rspamd_config:get_all_opt(N)
if opts then
  for k, v in pairs(opts) do
    settings[k] = v
  end
end

local function check(task)
  local content = task:get_content()
  if not content or #content == 0 or #content > settings.max_size then
    return
  end

  local function callback(err, code, body)
    if err then
      rspamd_logger.errx(task, '%s: cannot reach %s: %s', N, settings.url, err)
      task:insert_result('SAGIGUARD_FAIL', 1.0, err)
      return
    end
    if code ~= 200 then
      rspamd_logger.errx(task, '%s: %s answered %s: %s', N, settings.url, code, body)
      task:insert_result('SAGIGUARD_FAIL', 1.0, 'HTTP ' .. tostring(code))
      return
    end
    local parser = ucl.parser()
    local ok, perr = parser:parse_string(tostring(body))
    if not ok then
      rspamd_logger.errx(task, '%s: unreadable answer: %s', N, perr)
      task:insert_result('SAGIGUARD_FAIL', 1.0, 'bad answer')
      return
    end
    local verdict = parser:get_object()
    local p = tonumber(verdict.scam_probability) or 0
    local options = {}
    for i, signal in ipairs(verdict.signals or {}) do
      if i > settings.max_options then
        break
      end
      table.insert(options, signal.kind)
    end
    local probability = string.format('p=%.3f', p)
    table.insert(options, probability)
    if verdict.verdict == 'scam' then
      task:insert_result('SAGIGUARD_SCAM', p, options)
    elseif verdict.verdict == 'unsure' then
      task:insert_result('SAGIGUARD_UNSURE', p, options)
    else
      task:insert_result('SAGIGUARD_HAM', 1.0 - p, options)
    end
  end

  local headers = {}
  if settings.token then
    headers['Authorization'] = 'Bearer ' .. settings.token
  end
  rspamd_http.request({
    task = task,
    url = settings.url,
    body = content,
    callback = callback,
    headers = headers,
    mime_type = 'message/rfc822',
    timeout = settings.timeout,
  })
end

-- Learning: rspamd's learn_spam / learn_ham (rspamc, the controller, the web interface,
-- IMAP-driven learning through rspamd) reach sagiguard through the Bayes classifier's
-- learn_condition, which calls this and lets Bayes learn as well (see the README). Needs
-- `token` here and `serve --token-file`; without a token it does nothing.
local function learn(task, is_spam, is_unlearn)
  if not settings.token then
    return true
  end
  local content = task:get_content()
  if not content or #content == 0 or #content > settings.max_size then
    return true
  end
  -- An unlearn is rspamd moving a mail to the other class: /learn relabels in sagiguard too.
  local url = settings.url:gsub('/score$', '') .. '/learn?label=' .. (is_spam and 'scam' or 'ham')
  rspamd_http.request({
    task = task,
    url = url,
    body = content,
    headers = { Authorization = 'Bearer ' .. settings.token },
    mime_type = 'message/rfc822',
    timeout = settings.timeout,
    callback = function(err, code, body)
      if err or code ~= 200 then
        rspamd_logger.errx(task, '%s: learning failed: %s', N, err or body)
      else
        rspamd_logger.infox(task, '%s: learned as %s (unlearn: %s): %s', N,
          is_spam and 'scam' or 'ham', is_unlearn, body)
      end
    end,
  })
  return true
end

rspamd_plugins[N] = { learn = learn }

local id = rspamd_config:register_symbol({
  name = 'SAGIGUARD_CHECK',
  type = 'callback',
  callback = check,
  group = N,
})

for name, spec in pairs({
  SAGIGUARD_SCAM = { settings.scam_score, 'sagiguard: a Japanese scam mail' },
  SAGIGUARD_UNSURE = { settings.unsure_score, 'sagiguard: close to the scam threshold' },
  SAGIGUARD_HAM = { settings.ham_score, 'sagiguard: no sign of a scam' },
  SAGIGUARD_FAIL = { 0.0, 'sagiguard: no answer from sagiguard serve' },
}) do
  rspamd_config:register_symbol({
    name = name,
    type = 'virtual',
    parent = id,
    score = spec[1],
    description = spec[2],
    group = N,
  })
end
