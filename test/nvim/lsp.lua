-- Drives the Article Lens server from Neovim's built-in LSP client (0.7+),
-- headless, and writes what it saw as JSON for test/nvim/run.mjs to check.
-- Environment: ARTICLE_LENS_SERVER (server.js), ARTICLE_LENS_SAMPLE,
-- ARTICLE_LENS_BROKEN (files), ARTICLE_LENS_OUT (JSON file to write).
local env = vim.env
local out = { steps = {} }

local function finish(code)
  vim.fn.writefile({ vim.fn.json_encode(out) }, env.ARTICLE_LENS_OUT)
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local function fail(message)
  out.error = message
  finish(1)
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'article-lens',
    cmd = { 'node', env.ARTICLE_LENS_SERVER, '--stdio' },
    root_dir = vim.fn.getcwd(),
  })
  if not client_id then return fail('start_client returned nil') end
  local client = vim.lsp.get_client_by_id(client_id)

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].filetype = 'article'
    vim.lsp.buf_attach_client(buf, client_id)
    return buf
  end

  local sample = open(env.ARTICLE_LENS_SAMPLE)
  if not vim.wait(15000, function() return client.initialized end, 20) then
    return fail('server did not initialize within 15 s')
  end
  out.server_name = client.name
  out.capabilities = {
    hover = client.server_capabilities.hoverProvider and true or false,
    documentSymbol = client.server_capabilities.documentSymbolProvider and true or false,
    semanticTokens = client.server_capabilities.semanticTokensProvider ~= nil,
  }

  -- the first body line that mentions the bare surname "Mr. Lukashenko"
  local lines = vim.api.nvim_buf_get_lines(sample, 0, -1, false)
  local hover_at
  for i, line in ipairs(lines) do
    local col = line:find('Mr. Lukashenko', 1, true)
    if col then
      local byte = col - 1 + #'Mr. ' + 2 -- inside the surname
      local _, utf16 = vim.str_utfindex(line, byte)
      hover_at = { line = i - 1, character = utf16, text = line }
      break
    end
  end
  if not hover_at then return fail('no "Mr. Lukashenko" in the sample') end
  out.hover_at = hover_at

  local uri = vim.uri_from_bufnr(sample)
  local position = { line = hover_at.line, character = hover_at.character }
  -- the server answers once its analysis of the opened document is ready
  local hover = vim.lsp.buf_request_sync(sample, 'textDocument/hover', { textDocument = { uri = uri }, position = position }, 20000)
  out.hover = hover and hover[client_id] or vim.NIL
  table.insert(out.steps, 'hover')

  local symbols = vim.lsp.buf_request_sync(sample, 'textDocument/documentSymbol', { textDocument = { uri = uri } }, 20000)
  out.symbols = symbols and symbols[client_id] or vim.NIL
  table.insert(out.steps, 'documentSymbol')

  local tokens = vim.lsp.buf_request_sync(sample, 'textDocument/semanticTokens/full', { textDocument = { uri = uri } }, 20000)
  local data = tokens and tokens[client_id] and tokens[client_id].result and tokens[client_id].result.data
  out.semantic_token_count = data and (#data / 5) or 0
  table.insert(out.steps, 'semanticTokens')

  -- recorded for people to read (.artifacts/nvim/result.json), not checked
  out.sample_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(sample)) do
    table.insert(out.sample_diagnostics, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, code = d.code, message = d.message })
  end

  local broken = open(env.ARTICLE_LENS_BROKEN)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(broken) > 0 end, 20)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(broken)) do
    local line = vim.api.nvim_buf_get_lines(broken, d.lnum, d.lnum + 1, false)[1] or ''
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, code = d.code, source = d.source,
      -- the text under the diagnostic (col/end_col are byte columns in Neovim)
      covered = d.lnum == d.end_lnum and line:sub(d.col + 1, d.end_col) or nil,
    })
  end
  if not got then out.diagnostics_timeout = true end
  table.insert(out.steps, 'diagnostics')

  client.stop()
  vim.wait(3000, function() return client.is_stopped() end, 20)
  finish(0)
end)
if not ok then fail(tostring(err)) end
