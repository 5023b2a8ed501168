DROP TABLE `cms_pagecontent_placeholders` CASCADE;
