"""Who gets in, and as whom: the identity modes and the one place each decides who is
acting (`identity`), the SSH keys of the ssh mode and the lines sshd is served (`ssh_keys`),
and the PostgreSQL roles that hold each agent of the postgres mode to their role
(`pg_roles`). What an agent may do once in is desk.kernel.agents'."""
